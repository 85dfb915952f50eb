// Package retrieval answers questions from a folder of UTF-8 text
// documents: it splits them into passages (paragraphs), indexes them in
// bleve with Vietnamese-aware analysis, and returns the best passages with
// exact citations and short highlighted excerpts.
//
// It knows nothing of Discord.
package retrieval
