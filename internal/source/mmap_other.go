//go:build !(linux && (amd64 || arm64 || riscv64 || ppc64le || s390x || loong64 || mips64 || mips64le))

package source

// mapFile maps a file into memory where the platform allows it; here it
// does not, and files are read as streams.
func mapFile(string) (data []byte, unmap func(), ok bool) { return nil, nil, false }

// dropPages is a no-op where files are not mapped.
func dropPages([]byte) {}
