using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Remaking : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "RemadeOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SpecialReason",
                table: "Idous",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RemadeOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "SpecialReason",
                table: "Idous");
        }
    }
}
