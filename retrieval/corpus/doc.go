// Package corpus owns a folder of documents as askdocs reads it: listing
// the folder (following folder links, once each), reading every format
// (plain text, Markdown, HTML, PDF, DOCX), splitting each document into
// passages with their heading path and line, page or paragraph, and
// giving each document a readable title. Files it cannot use are named
// with the kind of reason (Kind), never dropped silently.
//
// Each format is one file here (text.go, markdown.go, html.go, pdf.go
// with its glyph placement in pdftext.go, docx.go) and one line of the
// formats table in format.go: a newcomer adds a format in those two
// places, and a case to TestFormats.
package corpus
