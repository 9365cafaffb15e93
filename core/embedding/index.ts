/**
 * Text embeddings and vector search: the `Embedder` port with its offline default
 * (`LocalHashEmbedder`), and the `VectorIndex` port with an in-memory implementation (Chroma's: adapters/chroma.ts).
 */
export { type Embedder, cosineSimilarity, dot, l2Normalize } from './types';
export { LocalHashEmbedder, type LocalHashEmbedderOptions, normalizeForEmbedding } from './local-hash';
export { InMemoryVectorIndex, type Neighbour, type VectorIndex, type VectorMetadata } from './vector-index';
