// Searching a registry: the catalog API (GET /v2/_catalog) lists a
// registry's repositories; mini keeps those whose name holds the term.
// (Docker Hub has a search API of its own instead, /v1/search.)

package images

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// SearchResult is one row of mini search.
type SearchResult struct {
	Name, Description string
	Stars             int
	Official          bool
}

// Search finds repositories: "host:port/term" searches that registry's
// catalog; a bare term searches Docker Hub.
func Search(ctx context.Context, term string, limit int) ([]SearchResult, error) {
	host, rest, ok := strings.Cut(term, "/")
	if !ok || !(strings.ContainsAny(host, ".:") || host == "localhost") {
		return searchHub(ctx, term, limit)
	}
	reg, insecure, err := registryFor(host)
	if err != nil {
		return nil, err
	}
	opts, err := remoteOptions(ctx, host, insecure)
	if err != nil {
		return nil, err
	}
	repos, err := remote.Catalog(ctx, reg, opts...)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", host, err)
	}
	var out []SearchResult
	for _, r := range repos {
		if strings.Contains(r, rest) && len(out) < limit {
			out = append(out, SearchResult{Name: host + "/" + r})
		}
	}
	return out, nil
}

// searchHub asks Docker Hub's search API (only when online).
func searchHub(ctx context.Context, term string, limit int) ([]SearchResult, error) {
	u := fmt.Sprintf("https://index.docker.io/v1/search?q=%s&n=%d", url.QueryEscape(term), limit)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("search Docker Hub: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		Results []struct {
			Name        string `json:"name"`
			Description string `json:"description"`
			Stars       int    `json:"star_count"`
			Official    bool   `json:"is_official"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("search Docker Hub: %w", err)
	}
	var out []SearchResult
	for _, r := range body.Results {
		out = append(out, SearchResult{Name: r.Name, Description: r.Description, Stars: r.Stars, Official: r.Official})
	}
	return out, nil
}
