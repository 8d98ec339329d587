-- @param {Int} $1:id
SELECT embedding FROM "Item" WHERE id = $1
