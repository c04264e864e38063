// Command remove-team-member is the Lambda function of DELETE /api/teams/{teamId}/members/{userId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.RemoveTeamMember, nil); err != nil {
		log.Fatal(err)
	}
}
