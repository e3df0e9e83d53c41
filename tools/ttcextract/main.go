// Command ttcextract copies one face out of a TrueType Collection (.ttc)
// into a standalone .ttf file.
//
// Usage:
//
//	go run ./tools/ttcextract [-face N] in.ttc out.ttf
//
// It rebuilds the sfnt table directory with fresh offsets, 4-byte padding and
// recomputed table checksums (including head.checkSumAdjustment). It is used
// to produce assets/fonts/wqy-microhei.ttf from
// /usr/share/fonts/truetype/wqy/wqy-microhei.ttc.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
)

type table struct {
	tag  string
	data []byte
}

func main() {
	face := flag.Int("face", 0, "index of the face to extract")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: ttcextract [-face N] in.ttc out.ttf")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 2 {
		flag.Usage()
		os.Exit(2)
	}
	in, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	out, err := extract(in, *face)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(flag.Arg(1), out, 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("wrote face %d of %s to %s (%d bytes)\n", *face, flag.Arg(0), flag.Arg(1), len(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ttcextract:", err)
	os.Exit(1)
}

var be = binary.BigEndian

// extract returns face n of the collection ttc as a standalone sfnt file.
func extract(ttc []byte, n int) ([]byte, error) {
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return nil, errors.New("not a TrueType collection (missing 'ttcf' tag)")
	}
	numFonts := int(be.Uint32(ttc[8:]))
	if n < 0 || n >= numFonts || len(ttc) < 12+4*numFonts {
		return nil, fmt.Errorf("face %d out of range (collection has %d)", n, numFonts)
	}
	off := int(be.Uint32(ttc[12+4*n:]))
	if off+12 > len(ttc) {
		return nil, errors.New("face offset beyond end of file")
	}
	version := be.Uint32(ttc[off:])
	numTables := int(be.Uint16(ttc[off+4:]))
	dir := off + 12
	if dir+16*numTables > len(ttc) {
		return nil, errors.New("table directory beyond end of file")
	}
	tables := make([]table, numTables)
	for i := range tables {
		rec := ttc[dir+16*i:]
		// Table offsets in a TTC are relative to the start of the collection.
		o, l := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if o < 0 || l < 0 || o+l > len(ttc) {
			return nil, fmt.Errorf("table %q beyond end of file", rec[:4])
		}
		tables[i] = table{tag: string(rec[:4]), data: ttc[o : o+l]}
	}
	sort.Slice(tables, func(i, j int) bool { return tables[i].tag < tables[j].tag })
	return build(version, tables), nil
}

// build writes an sfnt file containing tables (sorted by tag).
func build(version uint32, tables []table) []byte {
	n := len(tables)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := (1 << entrySelector) * 16

	hdrLen := 12 + 16*n
	size := hdrLen
	for _, t := range tables {
		size += pad4(len(t.data))
	}
	out := make([]byte, hdrLen, size)
	be.PutUint32(out[0:], version)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(searchRange))
	be.PutUint16(out[8:], uint16(entrySelector))
	be.PutUint16(out[10:], uint16(n*16-searchRange))

	headAt := -1
	for i, t := range tables {
		start := len(out)
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		if t.tag == "head" && len(t.data) >= 12 {
			headAt = start
			be.PutUint32(out[start+8:], 0) // checkSumAdjustment is computed last
		}
		rec := out[12+16*i:]
		copy(rec[:4], t.tag)
		be.PutUint32(rec[4:], checksum(out[start:]))
		be.PutUint32(rec[8:], uint32(start))
		be.PutUint32(rec[12:], uint32(len(t.data)))
	}
	if headAt >= 0 {
		be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

func pad4(n int) int { return (n + 3) &^ 3 }

// checksum is the sfnt checksum of b, whose length must be a multiple of 4.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i+4 <= len(b); i += 4 {
		sum += be.Uint32(b[i:])
	}
	return sum
}
