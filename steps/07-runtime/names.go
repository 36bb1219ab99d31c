// Random container names, Docker's way: adjective_surname, the surnames
// those of scientists and engineers.

package runtime

import (
	"fmt"
	"math/rand/v2"
	"regexp"
)

var (
	adjectives = []string{"admiring", "bold", "brave", "clever", "dazzling", "eager", "elegant", "festive",
		"focused", "gallant", "gentle", "happy", "hopeful", "jolly", "keen", "kind", "loving", "lucid",
		"modest", "nice", "optimistic", "patient", "quirky", "relaxed", "serene", "sharp", "stoic",
		"sweet", "tender", "vibrant", "wise", "zealous"}
	surnames = []string{"babbage", "bell", "curie", "darwin", "dijkstra", "einstein", "euler", "feynman",
		"franklin", "gauss", "hamilton", "hopper", "hypatia", "johnson", "kepler", "knuth", "lamarr",
		"lovelace", "mcclintock", "meitner", "newton", "noether", "pasteur", "ritchie", "shannon",
		"thompson", "torvalds", "turing", "wilson", "wozniak", "yalow", "zhukovsky"}
)

// randomName picks an adjective_surname that taken does not hold; after a
// few collisions it adds a number, as Docker does.
func randomName(taken func(string) bool) string {
	for try := 0; ; try++ {
		name := adjectives[rand.IntN(len(adjectives))] + "_" + surnames[rand.IntN(len(surnames))]
		if try > 10 {
			name += fmt.Sprint(rand.IntN(10 * try))
		}
		if !taken(name) {
			return name
		}
	}
}

// validName is what Docker accepts as a container's or a volume's name.
var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

// ValidName says whether name may name a container or a volume.
func ValidName(name string) bool { return validName.MatchString(name) }
