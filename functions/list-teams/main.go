// Command list-teams is the Lambda function of GET /api/teams.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("ListTeams", nil); err != nil {
		log.Fatal(err)
	}
}
