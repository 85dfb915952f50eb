//go:build !unix

package corpus

import "io/fs"

// fileKey identifies a file or folder on its file system.
type fileKey struct{ dev, ino uint64 }

// fileID reports no identity: the walk is then bounded by depth.
func fileID(fs.FileInfo) (fileKey, bool) { return fileKey{}, false }
