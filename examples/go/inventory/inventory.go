// Package inventory is a small example for mapsafe: a stock index with the
// map mistakes mapsafe reports. Run `mapsafe examples` to see them.
package inventory

import (
	"maps"
	"slices"
	"strings"
)

type Item struct {
	SKU   string
	Name  string
	Count int
}

type Index struct {
	bySKU map[string]*Item
}

// AddAliases registers lower-case aliases for every SKU. It inserts into
// the map it is ranging over: the new keys may or may not be visited, so the
// result differs from run to run (MS101).
func (ix *Index) AddAliases() {
	for sku, item := range ix.bySKU {
		ix.bySKU[strings.ToLower(sku)] = item
	}
}

// AddAliasesSafely ranges over a sorted snapshot of the keys instead.
func (ix *Index) AddAliasesSafely() {
	for _, sku := range slices.Sorted(maps.Keys(ix.bySKU)) {
		ix.bySKU[strings.ToLower(sku)] = ix.bySKU[sku]
	}
}

// Restock updates the items in place: updating the current key is fine.
func (ix *Index) Restock(n int) {
	for sku, item := range ix.bySKU {
		item.Count += n
		ix.bySKU[sku] = item
	}
}

// DropEmpty deletes while ranging, which Go allows.
func (ix *Index) DropEmpty() {
	for sku, item := range ix.bySKU {
		if item.Count == 0 {
			delete(ix.bySKU, sku)
		}
	}
}
