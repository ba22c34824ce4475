//go:build linux && (amd64 || arm64 || riscv64 || ppc64le || s390x || loong64 || mips64 || mips64le)

package source

import (
	"os"
	"syscall"
	"unsafe"
)

// mapFile maps the regular file at path into memory, read only, and
// returns its contents and the function that unmaps them; ok is false when
// it cannot (an empty file, not a regular file, a failed mmap), and the
// file is then read as a stream.
func mapFile(path string) (data []byte, unmap func(), ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() <= 0 || int64(int(st.Size())) != st.Size() {
		return nil, nil, false
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, false
	}
	if st.Size() > mapLimit() && !mostlyCached(data) {
		syscall.Munmap(data)
		return nil, nil, false
	}
	return data, func() { syscall.Munmap(data) }, true
}

// cachedShare is the share of a large file's pages that must be in the page
// cache for it to be mapped rather than read.
const cachedShare = 0.9

// mostlyCached reports whether at least cachedShare of the pages of the
// mapping data are in the page cache (mincore). A large file read from
// the cache is parsed straight from the mapping, saving the copy that read
// makes (at 10M rows, 4 s of a 15 s query over 20 GB of JSON lines); one
// mostly on disk is read in blocks instead (see mapLimit).
func mostlyCached(data []byte) bool {
	page := os.Getpagesize()
	vec := make([]byte, (len(data)+page-1)/page)
	_, _, errno := syscall.Syscall(syscall.SYS_MINCORE,
		uintptr(unsafe.Pointer(unsafe.SliceData(data))), uintptr(len(data)),
		uintptr(unsafe.Pointer(unsafe.SliceData(vec))))
	if errno != 0 {
		return false
	}
	in := 0
	for _, b := range vec {
		in += int(b & 1)
	}
	return float64(in) >= cachedShare*float64(len(vec))
}

// mapLimit is the largest file mapped whatever the page cache holds: a
// quarter of the machine's memory. A larger file is unlikely to sit in the
// page cache, and faulting it in page by page from disk measured slower
// and far more erratic (a 20 GB file took 6 to 80 s) than reading it in
// large blocks, so it is mapped only when mostlyCached.
func mapLimit() int64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit) / 4
}

// dropPages tells the kernel that the whole pages of b, a part of a mapped
// file already parsed, are not needed again soon, so they leave the
// process's resident set (they stay in the page cache, and reading them
// again would fault them back in). Without it a query over a 20 GB file
// would count most of the file in its resident memory.
func dropPages(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(b[lo-start:hi-start], syscall.MADV_DONTNEED)
}
