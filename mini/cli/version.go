package cli

// Version is mini's release, the same for each of its programs (mini,
// mini-image, mini-daemon); stage by stage, it follows the labs.
const Version = "0.1.0"
