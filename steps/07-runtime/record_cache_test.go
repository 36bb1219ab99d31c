package runtime

import (
	"path/filepath"
	"testing"

	"mini/steps/07-runtime/store"
)

// A record written anew is read anew, even at once and at the same size.
func TestRecordCacheSeesARewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "container.json")
	rc := &RecordCache{m: map[string]cachedRecord{}}
	var rec Record
	for _, name := range []string{"aa", "bb", "cc"} {
		rec.Name = name
		if err := store.WriteJSON(path, &rec); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ { // the second read is the cache's
			var got Record
			if err := rc.read(path, &got); err != nil {
				t.Fatal(err)
			}
			if got.Name != name {
				t.Fatalf("read %q after writing %q", got.Name, name)
			}
		}
	}
	var nilCache *RecordCache // off: reads the file each time
	var got Record
	if err := nilCache.read(path, &got); err != nil || got.Name != "cc" {
		t.Fatalf("without a cache: %q, %v", got.Name, err)
	}
}
