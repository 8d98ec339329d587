SELECT u.id, COUNT(p.id) AS "postCount"
FROM "User" u LEFT JOIN "Post" p ON p."authorId" = u.id
GROUP BY u.id
ORDER BY u.id
