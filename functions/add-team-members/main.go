// Command add-team-members is the Lambda function of POST /api/teams/{teamId}/members.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.AddTeamMembers, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
