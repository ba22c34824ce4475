//go:build !unix

package store

import "os"

// tryLock is a no-op where advisory locks are not available.
// TODO: use LockFileEx on Windows; without it two writers can race.
func tryLock(f *os.File) (held bool, err error) { return false, nil }
