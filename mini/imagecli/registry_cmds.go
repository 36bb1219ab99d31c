// mini login, logout, search.

package imagecli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"mini/mini/cli"
	images "mini/steps/04-images"
)

func newLoginCommand() *cobra.Command {
	var user, password string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use: "login [OPTIONS] SERVER", Short: "Log in to a registry", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if passwordStdin {
				data, err := io.ReadAll(cmd.InOrStdin())
				if err != nil {
					return cli.WithStatus(1, err)
				}
				password = strings.TrimRight(string(data), "\r\n")
			}
			if user == "" || password == "" {
				return cli.WithStatus(1, fmt.Errorf("give a username (-u) and a password (-p or --password-stdin)"))
			}
			if err := images.Login(context.Background(), args[0], user, password); err != nil {
				return cli.WithStatus(1, err)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "Login Succeeded")
			return nil
		},
	}
	cmd.Flags().StringVarP(&user, "username", "u", "", "username")
	cmd.Flags().StringVarP(&password, "password", "p", "", "password")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	return cmd
}

func newLogoutCommand() *cobra.Command {
	return &cobra.Command{
		Use: "logout SERVER", Short: "Log out from a registry", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			had, err := images.Logout(args[0])
			if err != nil {
				return cli.WithStatus(1, err)
			}
			if had {
				fmt.Fprintf(cmd.OutOrStdout(), "Removing login credentials for %s\n", args[0])
			} else {
				fmt.Fprintf(cmd.OutOrStdout(), "Not logged in to %s\n", args[0])
			}
			return nil
		},
	}
}

func newSearchCommand() *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use: "search [OPTIONS] [REGISTRY/]TERM", Short: "Search a registry for images", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			results, err := images.Search(context.Background(), args[0], limit)
			if err != nil {
				return cli.WithStatus(1, err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 8, 3, ' ', 0)
			fmt.Fprintln(tw, "NAME\tDESCRIPTION\tSTARS\tOFFICIAL")
			for _, r := range results {
				official := ""
				if r.Official {
					official = "[OK]"
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", r.Name, r.Description, r.Stars, official)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 25, "most results")
	return cmd
}
