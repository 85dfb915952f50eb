package corpus

import (
	"path"
	"strings"
)

// Format is how a document is read.
type Format string

// The formats read.
const (
	Text     Format = "text"
	Markdown Format = "markdown"
	HTML     Format = "html"
	PDF      Format = "pdf"
	DOCX     Format = "docx"
)

// parsed is a document's content: its blocks in order, and what the
// document says about itself.
type parsed struct {
	title  string // "" lets the file name be the title
	url    string // front matter url
	blocks []block
}

// block is one passage-to-be: a paragraph, list item, table row, code
// block or page paragraph.
type block struct {
	text          string
	line, endLine int    // in the source, 1-based
	page          int    // PDF page, 1-based
	section       string // heading path
	// lines is true when text keeps the source's line breaks, so that a
	// piece cut from it can cite its own lines; otherwise every piece
	// cites line … endLine.
	lines bool
	// code blocks are kept whole up to maxCodeBytes.
	code bool
}

// reader is one entry of the formats table: a format's parser, or the
// kind of reason its files are skipped.
type reader struct {
	format Format
	parse  func([]byte) (parsed, *Warning)
	skip   Kind
}

// byExt is the formats table: a file's reader by its extension, in lower
// case. A file whose extension is not here is read as text when it is
// valid UTF-8 (see readText).
var byExt = map[string]reader{
	".txt": {format: Text, parse: readText}, ".text": {format: Text, parse: readText},
	".rst": {format: Text, parse: readText}, ".adoc": {format: Text, parse: readText},
	".asciidoc": {format: Text, parse: readText},
	".md":       {format: Markdown, parse: readMarkdown}, ".markdown": {format: Markdown, parse: readMarkdown},
	".mdx":  {format: Markdown, parse: readMarkdown},
	".html": {format: HTML, parse: readHTML}, ".htm": {format: HTML, parse: readHTML},
	".xhtml": {format: HTML, parse: readHTML},
	".pdf":   {format: PDF, parse: readPDF},
	".docx":  {format: DOCX, parse: readDOCX},
}

// skipExt names the kinds of file that are not documents, by extension,
// so that they are counted without being read.
var skipExt = map[Kind][]string{
	Image:       {".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".heic", ".svg", ".avif", ".psd"},
	Media:       {".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".flac", ".mov", ".avi", ".mkv", ".webm", ".opus"},
	Archive:     {".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst", ".jar", ".apk"},
	Unsupported: {".doc", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".epub", ".pages", ".key", ".numbers"},
	Binary:      {".exe", ".dll", ".so", ".dylib", ".o", ".a", ".class", ".pyc", ".wasm", ".bin", ".dat", ".db", ".sqlite", ".ttf", ".otf", ".woff", ".woff2"},
}

var skipByExt = func() map[string]Kind {
	m := map[string]Kind{}
	for k, exts := range skipExt {
		for _, e := range exts {
			m[e] = k
		}
	}
	return m
}()

// formatOf returns the reader of a file by its name.
func formatOf(name string) reader {
	ext := strings.ToLower(path.Ext(name))
	if r, ok := byExt[ext]; ok {
		return r
	}
	if k, ok := skipByExt[ext]; ok {
		return reader{skip: k}
	}
	// README, FAQ, CHANGELOG, LICENSE, notes.v2 …: text if it is text.
	return reader{format: Text, parse: readText}
}
