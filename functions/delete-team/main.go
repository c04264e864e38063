// Command delete-team is the Lambda function of DELETE /api/teams/{teamId}.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
	"proportal/internal/sqs"
)

func main() {
	if err := app.RunLambda(httpapi.DeleteTeam, nil, sqs.FromConfig); err != nil {
		log.Fatal(err)
	}
}
