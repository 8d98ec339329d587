SELECT id, title FROM "Post" WHERE title LIKE $1 ORDER BY id
