// Command get-subscription is the Lambda function of GET /api/subscription.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GetSubscription", nil); err != nil {
		log.Fatal(err)
	}
}
