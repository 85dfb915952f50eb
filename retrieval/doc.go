// Package retrieval answers questions from a folder of documents: the
// corpus (package corpus) reads every format and splits it into passages;
// retrieval indexes them in bleve with language-aware analysis (packages
// under analysis/), and returns the best passages with exact citations and
// short highlighted excerpts, or declines when the documents do not
// answer.
//
// A search has four steps. Question analysis (query.go) drops question
// words and chat filler and turns the rest into concepts — words, or
// phrases with their synonyms and spelling variants — weighted by rarity.
// Candidate generation (gather.go) reads bleve's postings for the
// question's rarest terms only. Ranking (features.go, index.go) computes
// each candidate's named features and abstention signals from its stored
// term ids, and package rank's fitted model turns them into a score and a
// confidence; the engine answers when the confidence reaches the model's
// threshold. Excerpts (excerpt.go) cut the best sentences or clauses and
// mark the matched words; duplicates across articles merge (dedup.go).
// Explain and FitQuestions give "askdocs tune" what the model is fitted
// on.
//
// An Index is built in memory (Build) or kept on disk (Open; store.go
// lays it out with package storefile); OpenLive opens one for a corpus
// and owns its life, following document changes.
//
// It knows nothing of Discord.
package retrieval
