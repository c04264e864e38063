// Command list-teams is the Lambda function of GET /api/teams.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListTeams, nil); err != nil {
		log.Fatal(err)
	}
}
