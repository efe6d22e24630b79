"""``python -m coopgraph`` runs the command line."""

from coopgraph.cli.app import main

main()
