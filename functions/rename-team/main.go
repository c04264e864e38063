// Command rename-team is the Lambda function of PATCH /api/teams/{teamId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.RenameTeam, nil); err != nil {
		log.Fatal(err)
	}
}
