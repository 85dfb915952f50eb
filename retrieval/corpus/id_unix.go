//go:build unix

package corpus

import (
	"io/fs"
	"syscall"
)

// fileKey identifies a file or folder on its file system.
type fileKey struct{ dev, ino uint64 }

// fileID returns the identity of the file info describes, when the file
// system gives one (os.DirFS does; embedded files do not).
func fileID(info fs.FileInfo) (fileKey, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return fileKey{}, false
	}
	return fileKey{uint64(st.Dev), uint64(st.Ino)}, true
}
