-- @param $1:embedding
-- @param {Int} $2:id
UPDATE "Item" SET embedding = $1::vector WHERE id = $2
