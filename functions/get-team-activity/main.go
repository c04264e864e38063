// Command get-team-activity is the Lambda function of GET /api/teams/{teamId}/activity.
package main

import (
	"log"
	_ "time/tzdata" // weeks are in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetTeamActivity, nil); err != nil {
		log.Fatal(err)
	}
}
