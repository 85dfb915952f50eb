// Package retrieval answers questions from a folder of documents: the
// corpus (package corpus) reads every format and splits it into passages;
// retrieval indexes them in bleve with Vietnamese-aware analysis, and
// returns the best passages with exact citations and short highlighted
// excerpts.
//
// A search has three steps. Question analysis (query.go) drops question
// words and chat filler and turns the rest into concepts — words, or
// phrases with their synonyms and spelling variants — weighted by rarity.
// Candidate generation (gather.go) reads bleve's postings for the
// question's rarest terms only, with BM25. Ranking (score.go, index.go)
// scans each candidate's stored term ids for how much of the question it
// covers, how exactly, and how close together; it abstains when nothing
// covers enough. Excerpts (excerpt.go) cut the best sentences or clauses
// and mark the matched words; duplicates across articles merge (dedup.go).
//
// An Index is built in memory (Build) or kept on disk and updated
// incrementally (Open); a Live index follows document changes.
//
// It knows nothing of Discord.
package retrieval
