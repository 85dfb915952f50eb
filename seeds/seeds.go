// Package seeds embeds the default corpus: five Vietnamese news articles
// on Vietnam–Laos relations. Their text must not be edited, since
// citations point at their lines.
package seeds

import "embed"

// FS holds the seed documents at its root.
//
//go:embed *.txt
var FS embed.FS
