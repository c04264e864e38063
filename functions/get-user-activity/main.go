// Command get-user-activity is the Lambda function of GET /api/users/{userId}/activity.
package main

import (
	"log"
	_ "time/tzdata" // weeks are in the organization's time zone

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetUserActivity, nil); err != nil {
		log.Fatal(err)
	}
}
