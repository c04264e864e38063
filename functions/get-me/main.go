// Command get-me is the Lambda function of GET /api/me.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetMe, nil); err != nil {
		log.Fatal(err)
	}
}
