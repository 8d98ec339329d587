// Boost.JSON compiled header-only, once for the tool.
#include <boost/json/src.hpp>
