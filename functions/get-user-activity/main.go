// Command get-user-activity is the Lambda function of GET /api/users/{userId}/activity.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetUserActivity, nil); err != nil {
		log.Fatal(err)
	}
}
