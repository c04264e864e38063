// Command get-team is the Lambda function of GET /api/teams/{teamId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetTeam, nil); err != nil {
		log.Fatal(err)
	}
}
