// Command get-subscription is the Lambda function of GET /api/subscription.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetSubscription, nil); err != nil {
		log.Fatal(err)
	}
}
