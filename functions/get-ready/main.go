// Command get-ready is the Lambda function of GET /api/ready.
package main

import (
	"log"

	"proportal/internal/app"
	"proportal/internal/httpapi"
)

func main() {
	if err := app.RunLambda(httpapi.GetReady, nil); err != nil {
		log.Fatal(err)
	}
}
