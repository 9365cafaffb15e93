/**
 * Text embeddings and vector search: the `Embedder` port with its offline default
 * (`LocalHashEmbedder`), and the `VectorIndex` port with a Chroma and an in-memory implementation.
 */
export { type Embedder, cosineSimilarity, dot, l2Normalize } from './types';
export { LocalHashEmbedder, type LocalHashEmbedderOptions, normalizeForEmbedding } from './local-hash';
export { InMemoryVectorIndex, type Neighbour, type VectorIndex, type VectorMetadata } from './vector-index';
export { ChromaVectorIndex, ChromaVectorIndexError, type ChromaVectorIndexOptions, chromaClient, collectionNameFor, type HnswSettings } from './chroma';
