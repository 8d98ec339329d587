// SQL comments in Google's sqlcommenter format, as Prisma 7's `comments` option adds them
// (ClientOptions::comments): every statement of an operation gets ` /*key='value',...*/` from
// the tags its commenters return for it. Keys sorted as Prisma sorts them (JavaScript's
// localeCompare: ICU's order; ASCII keys here), keys and values percent-encoded as
// encodeURIComponent does, a value's `'` escaped as `\'`; a later commenter's key wins; no tags, no
// comment. `query_tags()` is Prisma's @prisma/sqlcommenter-query-tags: the tags of the calling
// thread's `with_query_tags(...)` scope.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prisma {

// What a commenter sees of one statement.
struct SqlCommentContext {
  std::string_view model;   // the operation's model ("User"); empty for raw SQL
  std::string_view action;  // Prisma's protocol action: findMany, createOne, updateOne, aggregate (count), queryRaw...
  std::string_view sql;     // the statement, without the comment
};
using SqlTags = std::vector<std::pair<std::string, std::string>>;
using SqlCommenter = std::function<SqlTags(const SqlCommentContext&)>;

namespace detail {

// ICU's root order for ASCII (what localeCompare uses): spaces and punctuation, symbols,
// digits, then letters, a lowercase letter before its uppercase.
inline int collation_rank(unsigned char c) {
  static constexpr std::string_view punctuation = " \t\n_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
  if (auto p = punctuation.find(static_cast<char>(c)); p != std::string_view::npos) return static_cast<int>(p);
  if (c >= '0' && c <= '9') return 100 + (c - '0');
  if (c >= 'a' && c <= 'z') return 200 + (c - 'a');
  if (c >= 'A' && c <= 'Z') return 200 + (c - 'A');
  return 300 + c;  // other bytes (UTF-8) after the letters
}
inline bool collates_before(std::string_view a, std::string_view b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    int ra = collation_rank(static_cast<unsigned char>(a[i])), rb = collation_rank(static_cast<unsigned char>(b[i]));
    if (ra != rb) return ra < rb;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {  // ties: lowercase first
    bool la = a[i] >= 'a' && a[i] <= 'z', lb = b[i] >= 'a' && b[i] <= 'z';
    if (la != lb) return la;
  }
  return false;
}

// encodeURIComponent: every byte but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX.
inline void uri_component(std::string& out, std::string_view s, bool escape_quote) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                std::string_view("-_.!~*'()").find(static_cast<char>(c)) != std::string_view::npos;
    if (!keep) {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == '\'' && escape_quote) {
      out += "\\'";
    } else {
      out += static_cast<char>(c);
    }
  }
}

}  // namespace detail

// The comment for these tags (` /*a='1',b='2'*/`, with its leading space), or "" for none. A later
// tag with an earlier one's key replaces it.
inline std::string sql_comment(SqlTags tags) {
  SqlTags unique;
  for (auto& t : tags) {
    auto same = std::find_if(unique.begin(), unique.end(), [&](const auto& u) { return u.first == t.first; });
    if (same != unique.end()) same->second = std::move(t.second);
    else unique.push_back(std::move(t));
  }
  if (unique.empty()) return {};
  std::stable_sort(unique.begin(), unique.end(),
                   [](const auto& a, const auto& b) { return detail::collates_before(a.first, b.first); });
  std::string out = " /*";
  for (std::size_t i = 0; i < unique.size(); ++i) {
    if (i) out += ',';
    detail::uri_component(out, unique[i].first, false);
    out += "='";
    detail::uri_component(out, unique[i].second, true);
    out += '\'';
  }
  out += "*/";
  return out;
}

namespace detail {
inline SqlTags& thread_query_tags() {
  thread_local SqlTags tags;
  return tags;
}
}  // namespace detail

// Runs f() with `tags` as this thread's query tags (Prisma's withQueryTags): the statements it
// runs carry them where the client's commenters include query_tags().
template <class F>
decltype(auto) with_query_tags(SqlTags tags, F&& f) {
  struct Restore {
    SqlTags saved;
    ~Restore() { detail::thread_query_tags() = std::move(saved); }
  } restore{std::exchange(detail::thread_query_tags(), std::move(tags))};
  return std::forward<F>(f)();
}
// The same, the tags added to the enclosing scope's (Prisma's withMergedQueryTags; these win).
template <class F>
decltype(auto) with_merged_query_tags(SqlTags tags, F&& f) {
  SqlTags merged = detail::thread_query_tags();
  for (auto& t : tags) merged.push_back(std::move(t));
  return with_query_tags(std::move(merged), std::forward<F>(f));
}
// The commenter of the calling thread's query tags (Prisma's `queryTags()` plugin).
inline SqlCommenter query_tags() {
  return [](const SqlCommentContext&) { return detail::thread_query_tags(); };
}

}  // namespace prisma
