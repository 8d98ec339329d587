-- @description Users at least minAge years old, youngest first
-- @param {Int} $1:minAge the lowest age
SELECT id, email, name, age, "createdAt", balance, big, data, raw, active, role
FROM "User"
WHERE age >= $1
ORDER BY age, id
