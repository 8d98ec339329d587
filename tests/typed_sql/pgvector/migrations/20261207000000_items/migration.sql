-- pgvector, then the table Prisma's migrate dev writes for the schema, then the HNSW index
-- Prisma users add to the migration by hand (the schema cannot say it).
CREATE EXTENSION IF NOT EXISTS "vector";

-- CreateTable
CREATE TABLE "Item" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "embedding" vector(3),

    CONSTRAINT "Item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Item_embedding_idx" ON "Item" USING hnsw ("embedding" vector_cosine_ops);
