// Command create-team is the Lambda function of POST /api/teams.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.CreateTeam, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
