package retrieval

// Answer is what Search returns for one question.
type Answer struct {
	// Question is the question as asked (after NFC normalisation).
	Question string
	// Answered is false when the engine abstains: nothing in the
	// documents covers the question's key terms. Results is then empty.
	Answered bool
	// Confidence is the abstention model's score that the documents
	// answer the question (0 to 1); Answered is Confidence at or above
	// the model's threshold. It is set whether or not the engine
	// abstains, so an evaluation can trace the trade-off between
	// answering and declining at other thresholds.
	Confidence float64
	// Results are ranked best first; ties are broken by passage id.
	Results []Result
	// Terms are the normalised key terms of the question that drove the
	// search (stop words and chat filler removed), for diagnostics.
	Terms []string
	// Suggestions, when the engine abstains, name a few topics the
	// documents do cover (document titles), to help the asker rephrase.
	Suggestions []string
}

// Result is one ranked passage (or a group of near-duplicate passages).
type Result struct {
	// ID is the stable passage id: "source:line".
	ID     string
	Score  float64
	Source string // path relative to the corpus root, with forward slashes
	Line   int    // first line of the passage, 1-based
	// EndLine is the last line of the passage, 1-based, inclusive.
	EndLine int
	// Title is the title of the passage's document.
	Title string
	// Section is the heading path above the passage ("Cài đặt › Linux"),
	// "" when there is none.
	Section string
	// Page is the PDF page of the passage, 1-based; 0 for other formats.
	Page int
	// URL is where a person reads the passage: the document's front
	// matter url, else Options.URLs made for it; "" when unknown.
	URL string
	// Excerpt is the one or two sentences of the passage that best
	// match the question, at most about 300 characters, cut at sentence
	// or word boundaries with "…".
	Excerpt string
	// Highlights are the byte ranges of Excerpt holding matched words,
	// sorted and non-overlapping, so a front end can bold them.
	Highlights []Span
	// Text is the whole passage, for a "full passage" view.
	Text string
	// Also lists the other passages merged into this result because they
	// report the same fact (near-duplicates), in rank order.
	Also []Location
}

// Span is a half-open byte range [Start, End) of a string.
type Span struct {
	Start, End int
}

// Location names a passage by source and lines (and PDF page, 0 for
// other formats).
type Location struct {
	Source  string
	Line    int
	EndLine int
	Page    int
}

// Answers reports whether the passage at l is one of the gold passages:
// a gold line within its lines.
func (l Location) Answers(gold []Location) bool {
	end := max(l.EndLine, l.Line)
	for _, g := range gold {
		if l.Source == g.Source && g.Line >= l.Line && g.Line <= end {
			return true
		}
	}
	return false
}
