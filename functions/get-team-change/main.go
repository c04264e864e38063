// Command get-team-change is the Lambda function of GET /api/teams/{teamId}/changes/{changeId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetTeamChange, nil); err != nil {
		log.Fatal(err)
	}
}
