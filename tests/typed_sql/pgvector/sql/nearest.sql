-- @description The k items nearest to a query embedding (cosine distance, the HNSW index's)
-- @param $1:query
-- @param $2:k
SELECT id, title, embedding <=> $1::vector AS distance
FROM "Item"
WHERE embedding IS NOT NULL
ORDER BY embedding <=> $1::vector
LIMIT $2
