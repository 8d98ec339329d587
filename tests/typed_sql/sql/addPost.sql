-- @param {String} $1:title
-- @param {Int} $2:authorId
-- @param {Float} $3:score? no score: NULL
INSERT INTO "Post" (title, "authorId", score) VALUES ($1, $2, $3) RETURNING id, title, score
