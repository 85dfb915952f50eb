// Package analysis groups the bleve analysis components that make
// retrieval Vietnamese-aware. Each sub-package is one small component:
//
//   - nfc: a char filter that puts text in Unicode NFC.
//   - vntoken: a tokenizer that splits text into syllables and numbers.
//   - vnnumber: a token filter that unifies number spellings (1.300 = 1300).
//   - vntone: a token filter that unifies old and new tone placement and
//     i/y spellings (hoà = hòa, sỹ = sĩ).
//   - vnstop: a token filter that drops function words, question words
//     and chat filler.
//   - vnfold: a token filter that folds every diacritic (đ → d).
//   - vnbigram: a token filter that joins adjacent syllables into bigrams.
//   - termcache: remembers what a filter made of a term, so each distinct
//     syllable is rewritten once.
//
// Analyzers built from them are registered by package vietnamese.
package analysis
