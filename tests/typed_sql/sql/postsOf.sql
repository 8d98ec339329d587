-- @param {String} $1:email
SELECT u.email, p.title, p.views
FROM "User" u LEFT JOIN "Post" p ON p."authorId" = u.id
WHERE u.email = $1
ORDER BY p.id
