// Walks the attributes of one field or block the way Prisma's parser-database does, so that
// unknown, repeated and unused attributes and arguments get Prisma's errors without each
// attribute's validator having to check for them.
#include <algorithm>

#include "schema/resolve_context.hpp"

namespace prisma_cpp::schema::detail {

std::string attribute_display_name(const ast::Attribute& a) {
  return (a.block ? "@@" : "@") + a.name.name;
}

AttributeWalker::AttributeWalker(Context& ctx, const std::vector<ast::Attribute>& attributes)
    : ctx_(ctx), attributes_(attributes), used_(attributes.size(), false) {}

bool AttributeWalker::single(std::string_view name) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < attributes_.size(); ++i)
    if (attributes_[i].name.name == name) found.push_back(i);
  if (found.empty()) return false;
  if (found.size() > 1) {
    for (std::size_t i : found) {
      used_[i] = true;
      ctx_.error(attributes_[i].span,
                 "Attribute \"@" + std::string(name) + "\" can only be defined once.",
                 "remove the repeated " + attribute_display_name(attributes_[i]));
    }
    return false;
  }
  used_[found[0]] = true;
  return start(found[0]);
}

bool AttributeWalker::repeated(std::string_view name) {
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (used_[i] || attributes_[i].name.name != name) continue;
    used_[i] = true;
    if (start(i)) return true;
  }
  return false;
}

const ast::Attribute* AttributeWalker::scoped() {
  const ast::Attribute* found = nullptr;
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    const auto& a = attributes_[i];
    auto dot = a.name.name.find('.');
    if (dot == std::string::npos) continue;
    used_[i] = true;
    if (found)
      ctx_.error(a.span, "Attribute \"@" + a.name.name.substr(0, dot) + "\" can only be defined once.",
                 "a field has at most one native type attribute");
    found = &a;
  }
  return found;
}

bool AttributeWalker::start(std::size_t index) {
  const ast::Attribute& a = attributes_[index];
  bool usable = true;
  auto check_missing = [&](const std::vector<ast::Argument>& args) {
    for (const auto& arg : args)
      if (!arg.value && arg.name) {
        ctx_.error(arg.name->span,
                   "Error parsing attribute \"@" + a.name.name + "\": The `" + arg.name->name +
                       "` argument is missing a value.",
                   "write a value after `" + arg.name->name + ":`");
        usable = false;
      }
  };
  check_missing(a.args);
  for (const auto& arg : a.args) {
    if (!arg.value) continue;
    if (arg.value->kind == ast::Expr::Kind::Function) check_missing(arg.value->args);
    if (arg.value->kind == ast::Expr::Kind::Array)
      for (const auto& item : arg.value->items)
        if (item.kind == ast::Expr::Kind::Function) check_missing(item.args);
  }
  if (!usable) return false;

  current_ = &a;
  named_.clear();
  unnamed_.clear();
  unnamed_duplicated_ = false;
  std::vector<std::string> unnamed_values;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    const auto& arg = a.args[i];
    if (arg.name) {
      auto [it, inserted] = named_.emplace(arg.name->name, i);
      if (!inserted) {
        it->second = i;
        ctx_.error(arg.span, "Argument \"" + arg.name->name + "\" is already specified.",
                   "remove one of the `" + arg.name->name + "` arguments");
      }
    } else if (arg.value) {
      if (!unnamed_.empty()) {
        if (unnamed_values.empty()) unnamed_values.push_back(expr_to_string(*a.args[unnamed_.back()].value));
        unnamed_values.push_back(expr_to_string(*arg.value));
      }
      unnamed_.clear();
      unnamed_.push_back(i);
    }
  }
  if (!unnamed_values.empty()) {
    std::string joined;
    for (std::size_t i = 0; i < unnamed_values.size(); ++i)
      joined += (i ? ", " : "") + unnamed_values[i];
    unnamed_duplicated_ = true;
    attr_error("You provided multiple unnamed arguments. This is not possible. Did you forget the "
               "brackets? Did you mean `[" + joined + "]`?",
               {}, "wrap the values in brackets: [" + joined + "]");
  }
  return true;
}

const ast::Expr* AttributeWalker::default_arg_quiet(std::string_view name, bool& missing) {
  missing = false;
  auto it = named_.find(std::string(name));
  std::optional<std::size_t> named, unnamed;
  if (it != named_.end()) {
    named = it->second;
    named_.erase(it);
  }
  if (!unnamed_.empty()) {
    unnamed = unnamed_.front();
    unnamed_.clear();
  }
  if (named && unnamed) {
    ctx_.error(current_->args[*named].span,
               "Argument \"" + std::string(name) + "\" is already specified as unnamed argument.",
               "give the value either by position or as `" + std::string(name) + ":`, not both");
    return nullptr;
  }
  if (named) return &*current_->args[*named].value;
  if (unnamed) return &*current_->args[*unnamed].value;
  missing = true;
  return nullptr;
}

const ast::Expr* AttributeWalker::default_arg(std::string_view name) {
  bool missing = false;
  const ast::Expr* e = default_arg_quiet(name, missing);
  if (missing)
    ctx_.error(current_->span, "Argument \"" + std::string(name) + "\" is missing.",
               "add the `" + std::string(name) + "` argument to " +
                   attribute_display_name(*current_));
  return e;
}

const ast::Argument* AttributeWalker::optional_arg(std::string_view name) {
  auto it = named_.find(std::string(name));
  if (it == named_.end()) return nullptr;
  const ast::Argument* arg = &current_->args[it->second];
  named_.erase(it);
  return arg->value ? arg : nullptr;
}

const ast::Expr* AttributeWalker::optional_value(std::string_view name) {
  const ast::Argument* arg = optional_arg(name);
  return arg ? &*arg->value : nullptr;
}

void AttributeWalker::validate_args() {
  std::vector<std::size_t> left;
  for (const auto& [n, i] : named_) left.push_back(i);
  for (std::size_t i : unnamed_) left.push_back(i);
  std::sort(left.begin(), left.end());
  for (std::size_t i : left)
    ctx_.error(current_->args[i].span, "No such argument.",
               attribute_display_name(*current_) + " does not take this argument");
  discard_args();
}

void AttributeWalker::discard_args() {
  named_.clear();
  unnamed_.clear();
}

void AttributeWalker::attr_error(const std::string& message, std::optional<Span> span,
                                 std::string hint) {
  ctx_.error(span ? *span : current_->span,
             "Error parsing attribute \"@" + current_->name.name + "\": " + message, std::move(hint));
}

void AttributeWalker::finish() {
  for (std::size_t i = 0; i < attributes_.size(); ++i) {
    if (used_[i]) continue;
    const auto& a = attributes_[i];
    static const std::vector<std::string> field_known = {"id", "unique", "default", "updatedAt", "map",
                                                         "relation", "ignore"};
    static const std::vector<std::string> block_known = {"id", "unique", "index", "map", "ignore",
                                                         "schema", "fulltext"};
    auto suggestion = did_you_mean(a.name.name, a.block ? block_known : field_known);
    std::string hint = suggestion ? "did you mean `" + std::string(a.block ? "@@" : "@") + *suggestion + "`?"
                                  : "remove it, or check the spelling";
    ctx_.error(a.span, "Attribute not known: \"@" + a.name.name + "\".", hint);
  }
}

}  // namespace prisma_cpp::schema::detail
