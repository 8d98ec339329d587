// The reference workload's related rows, the same on every backend: the first 100 users get 10
// posts each, each post 5 comments (the include_assoc benchmark reads them back).
#pragma once
#include <string>
#include <vector>

#include <prisma/prisma.hpp>

namespace bench_workload {

template <class Post, class Comment, class Db>
void seed_posts_and_comments(Db& db) {
  std::vector<typename prisma::meta::write_types<Post>::create> posts;
  for (int u = 1; u <= 100; ++u)
    for (int k = 0; k < 10; ++k) posts.push_back({.userId = u, .title = "post " + std::to_string(k), .body = "text"});
  db.post.create_many(posts);
  std::vector<typename prisma::meta::write_types<Comment>::create> comments;
  for (int p = 1; p <= 1000; ++p)
    for (int k = 0; k < 5; ++k) comments.push_back({.postId = p, .text = "comment " + std::to_string(k)});
  db.comment.create_many(comments);
}

// What the hand-written include_assoc builds: a user with its posts, each with its comments.
template <class Post, class Comment>
struct RawPost {
  Post post;
  std::vector<Comment> comments;
};
template <class User, class Post, class Comment>
struct RawUser {
  User user;
  std::vector<RawPost<Post, Comment>> posts;
};

}  // namespace bench_workload
