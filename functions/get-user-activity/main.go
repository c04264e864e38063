// Command get-user-activity is the Lambda function of GET /api/users/{userId}/activity.
package main

import (
	"log"

	"proportal/internal/app"
)

func main() {
	if err := app.RunLambda("GetUserActivity", nil); err != nil {
		log.Fatal(err)
	}
}
