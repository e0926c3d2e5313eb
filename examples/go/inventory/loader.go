package inventory

import "sync"

// Loader fills a stock table from several suppliers at once.
type Loader struct {
	mu     sync.Mutex
	counts map[string]int
}

// LoadAll starts one goroutine per supplier, each writing the shared map
// without the lock: Go stops the program with "concurrent map writes"
// (MS201).
func (l *Loader) LoadAll(suppliers [][]Item) {
	var wg sync.WaitGroup
	for _, items := range suppliers {
		wg.Add(1)
		go func(items []Item) {
			defer wg.Done()
			for _, it := range items {
				l.counts[it.SKU] += it.Count
			}
		}(items)
	}
	wg.Wait()
}

// LoadAllSafely takes the lock around every write.
func (l *Loader) LoadAllSafely(suppliers [][]Item) {
	var wg sync.WaitGroup
	for _, items := range suppliers {
		wg.Add(1)
		go func(items []Item) {
			defer wg.Done()
			for _, it := range items {
				l.mu.Lock()
				l.counts[it.SKU] += it.Count
				l.mu.Unlock()
			}
		}(items)
	}
	wg.Wait()
}

// ByName indexes items by name in a map made without a size hint, though
// the number of keys is known: the map grows and rehashes on the way (MS301).
func ByName(items []Item) map[string]*Item {
	out := make(map[string]*Item)
	for i := range items {
		out[items[i].Name] = &items[i]
	}
	return out
}

// ByNameHinted allocates the table once.
func ByNameHinted(items []Item) map[string]*Item {
	out := make(map[string]*Item, len(items))
	for i := range items {
		out[items[i].Name] = &items[i]
	}
	return out
}
