-- @param {Int} $1:by
-- @param {String} $2:title
UPDATE "Post" SET views = views + $1 WHERE title = $2
