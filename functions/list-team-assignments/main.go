// Command list-team-assignments is the Lambda function of GET /api/teams/{teamId}/assignments.
package main

import (
	"log"
	_ "time/tzdata" // due dates are days in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.ListTeamAssignments, nil); err != nil {
		log.Fatal(err)
	}
}
